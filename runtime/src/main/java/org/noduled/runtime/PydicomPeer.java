package org.noduled.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The peer figure for {@code bench load}: the same series loaded by pydicom + numpy, through
 * {@code test-data/peers/pydicom_load.py}, which prints one parseable line:
 * {@code pydicom_load: slices=300 ... p50_ms=812.3 p95_ms=... min_ms=... hu_sum=...}.
 */
final class PydicomPeer {

    static final String SCRIPT = "test-data/peers/pydicom_load.py";
    private static final String PREFIX = "pydicom_load:";
    private static final long TIMEOUT_MINUTES = 30;

    /** The peer's summary line, parsed: {@code values} maps each key to its text. */
    record Result(Map<String, String> values) {

        double millis(String key) {
            return Double.parseDouble(values.getOrDefault(key, "NaN"));
        }

        String text(String key) {
            return values.getOrDefault(key, "?");
        }
    }

    private PydicomPeer() {
    }

    /** The script in the repository this runtime was built from (found above the jar), or in the working directory. */
    static Optional<Path> script() {
        try {
            Path here = Path.of(PydicomPeer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path dir = here; dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                    return Optional.of(dir.resolve(SCRIPT));
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through to the working directory
        }
        Path local = Path.of(SCRIPT);
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    /**
     * The first interpreter that imports pydicom and numpy: the requested one, then Debian's own (a pyenv
     * or venv python3 earlier on the PATH often lacks the Debian packages).
     */
    static Optional<String> python(String requested) {
        Set<String> candidates = new LinkedHashSet<>(List.of(requested, "/usr/bin/python3"));
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import pydicom, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(candidate);
                }
                p.destroyForcibly();
            } catch (IOException e) {
                // not installed: try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Runs the peer on the folder and parses its summary line; the failure says why when there is none. */
    static Result run(String python, Path script, Path folder, int repeat) throws IOException {
        Process p = new ProcessBuilder(python, script.toString(), folder.toString(), "--repeat", Integer.toString(repeat))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("the pydicom peer did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while waiting for the pydicom peer");
        }
        String line = output.lines().filter(l -> l.startsWith(PREFIX)).reduce((a, b) -> b).orElseThrow(
                () -> new IOException("the pydicom peer exited with " + p.exitValue() + " and no result line: "
                        + output.strip().replace('\n', ' ')));
        Map<String, String> values = new HashMap<>();
        for (String pair : line.substring(PREFIX.length()).trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return new Result(values);
    }
}
