package org.noduled.runtime;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.noduled.detect.DetectorConfig;
import org.noduled.detect.ExecutionProvider;
import org.noduled.detect.TensorRtSettings;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.StoreScp;

/**
 * The configuration of {@code noduled serve}: a Java properties file (deploy/jetson/noduled.conf is the
 * annotated example). Every problem is named with its key in one message.
 *
 * @param outputFolder where findings.json and sr.dcm go per series, or null
 * @param outboxFolder the outbox, required when there are destinations
 * @param receive the DICOM receiver writing into the drop folder, or null when receive.port is not set
 * @param completeOnRelease whether a series received in one association is complete at its release
 * @param warmupRuns synthetic series run through the pipeline before the node takes real ones (0: none)
 */
record ServeConfig(Path dropFolder, Duration idle, Duration pollInterval, Path failedFolder, Path outputFolder,
        Path outboxFolder, List<Destination> destinations, Path modelCard, DetectorConfig engine,
        LatencyBudget budget, String deviceName, StoreScp.Settings receive, boolean completeOnRelease,
        int warmupRuns) {

    private static final Set<String> KEYS = Set.of("drop.folder", "drop.idleSeconds", "drop.pollMillis",
            "failed.folder", "output.folder", "outbox.folder", "calling.aeTitle", "model.card", "engine.provider",
            "engine.strict", "engine.threads", "engine.batch", "engine.trtCache", "engine.warmupRuns",
            "latency.budgetMillis", "device.name", "receive.port", "receive.aeTitle", "receive.bindAddress", "receive.allowedCallingAeTitles",
            "receive.maxAssociations", "receive.timeoutSeconds", "receive.completeOnRelease",
            "receive.maxImageMegabytes", "receive.minFreeMegabytes");
    private static final String DESTINATION = "destination.";

    static ServeConfig read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return new Parser(file, p).config();
    }

    /** Collects every problem before failing, so one edit fixes them all. */
    private static final class Parser {
        private final Path file;
        private final Properties p;
        private final List<String> problems = new ArrayList<>();

        Parser(Path file, Properties p) {
            this.file = file;
            this.p = p;
        }

        ServeConfig config() {
            Set<String> unknown = new TreeSet<>();
            for (String key : p.stringPropertyNames()) {
                if (!KEYS.contains(key) && !key.startsWith(DESTINATION)) {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                problems.add("unknown key(s) " + unknown + " (misspelt? see deploy/jetson/noduled.conf)");
            }
            Path drop = path("drop.folder", true);
            Duration idle = Duration.ofMillis(Math.round(number("drop.idleSeconds", 5, 0, 3600) * 1000));
            Duration poll = Duration.ofMillis(Math.round(number("drop.pollMillis", 200, 10, 60_000)));
            Path failed = path("failed.folder", true);
            Path output = path("output.folder", false);
            Path outbox = path("outbox.folder", false);
            String callingAe = p.getProperty("calling.aeTitle", Destination.DEFAULT_CALLING_AE_TITLE).trim();
            List<Destination> destinations = destinations(callingAe);
            if (!destinations.isEmpty() && outbox == null) {
                problems.add("outbox.folder is required when destinations are configured");
            }
            if (destinations.isEmpty() && output == null) {
                problems.add("neither destination.<name> nor output.folder is set: results would go nowhere");
            }
            if (drop != null && failed != null && failed.toAbsolutePath().normalize()
                    .startsWith(drop.toAbsolutePath().normalize())) {
                problems.add("failed.folder must not lie inside drop.folder (its files would be picked up again)");
            }
            Path card = path("model.card", false);
            DetectorConfig engine = engine();
            LatencyBudget budget = null;
            try {
                budget = new LatencyBudget(number("latency.budgetMillis", LatencyBudget.DEFAULT_MILLIS, 1, 1e7));
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
            String device = p.getProperty("device.name");
            StoreScp.Settings receive = receive(drop);
            boolean completeOnRelease = bool("receive.completeOnRelease", true);
            int warmupRuns = (int) number("engine.warmupRuns", 4, 0, 10);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("configuration " + file + ": " + String.join("; ", problems));
            }
            return new ServeConfig(drop, idle, poll, failed, output, outbox, destinations,
                    card != null ? card : ShippedModels.defaultCard(), engine, budget,
                    device == null || device.isBlank() ? null : device.trim(), receive, completeOnRelease,
                    warmupRuns);
        }

        /** The receiver's settings when receive.port is set; it writes into the drop folder (null: reported). */
        private StoreScp.Settings receive(Path drop) {
            String port = p.getProperty("receive.port");
            if (port == null || port.isBlank()) {
                return null;
            }
            int portNumber = (int) number("receive.port", 11112, 1, 65535);
            String aeTitle = p.getProperty("receive.aeTitle", Destination.DEFAULT_CALLING_AE_TITLE).trim();
            String bind = p.getProperty("receive.bindAddress", "0.0.0.0").trim();
            Set<String> allowed = new TreeSet<>();
            for (String title : p.getProperty("receive.allowedCallingAeTitles", "").split(",")) {
                if (!title.isBlank()) {
                    allowed.add(title.trim());
                }
            }
            int associations = (int) number("receive.maxAssociations", 8, 1, 256);
            double timeoutSeconds = number("receive.timeoutSeconds", 60, 1, 3600);
            int maxImageBytes = (int) Math.round(number("receive.maxImageMegabytes",
                    StoreScp.Settings.DEFAULT_MAX_IMAGE_BYTES >> 20, 1, 2047) * (1 << 20));
            long minFreeBytes = Math.round(number("receive.minFreeMegabytes",
                    StoreScp.Settings.DEFAULT_MIN_FREE_BYTES >> 20, 0, 1e9) * (1 << 20));
            if (drop == null) {
                return null; // drop.folder is required and already reported
            }
            try {
                InetAddress address = InetAddress.getByName(bind);
                return new StoreScp.Settings(aeTitle, address, portNumber, drop, allowed, associations,
                        Duration.ofMillis(Math.round(timeoutSeconds * 1000)), maxImageBytes, minFreeBytes);
            } catch (UnknownHostException e) {
                problems.add("receive.bindAddress '" + bind + "' is not an address of this machine's network "
                        + "(use 0.0.0.0 for all interfaces or one interface's IP address)");
            } catch (IllegalArgumentException e) {
                problems.add("receive: " + e.getMessage());
            }
            return null;
        }

        private boolean bool(String key, boolean fallback) {
            String value = p.getProperty(key, Boolean.toString(fallback)).trim().toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                problems.add(key + " must be true or false, got '" + value + "'");
                return fallback;
            }
            return value.equals("true");
        }

        private DetectorConfig engine() {
            ExecutionProvider provider = ExecutionProvider.CPU;
            try {
                provider = ExecutionProvider.fromConfig(p.getProperty("engine.provider", "cpu"));
            } catch (IllegalArgumentException e) {
                problems.add("engine.provider: " + e.getMessage());
            }
            boolean strict = bool("engine.strict", false);
            int threads = (int) number("engine.threads", 2, 1, 256);
            int batch = (int) number("engine.batch", 4, 1, 8);
            if (!DetectorConfig.BATCH_SIZES.contains(batch)) {
                problems.add("engine.batch must be 1, 2, 4 or 8, got " + batch);
                batch = 4;
            }
            Path cache = path("engine.trtCache", false);
            TensorRtSettings trt = cache == null ? TensorRtSettings.defaults() : TensorRtSettings.defaults().withCacheDir(cache);
            return new DetectorConfig(provider, strict, 0, threads, batch, trt);
        }

        private List<Destination> destinations(String callingAe) {
            List<Destination> list = new ArrayList<>();
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                if (!key.startsWith(DESTINATION)) {
                    continue;
                }
                String name = key.substring(DESTINATION.length());
                try {
                    Destination d = new DestinationOption().convert(p.getProperty(key).trim());
                    list.add(new Destination(name, d.calledAeTitle(), d.host(), d.port(), callingAe,
                            Destination.DEFAULT_CONNECT_TIMEOUT, Destination.DEFAULT_READ_TIMEOUT));
                } catch (RuntimeException e) {
                    problems.add(key + ": " + e.getMessage());
                }
            }
            return list;
        }

        private Path path(String key, boolean required) {
            String value = p.getProperty(key);
            if (value == null || value.isBlank()) {
                if (required) {
                    problems.add(key + " is required");
                }
                return null;
            }
            return Path.of(value.trim());
        }

        private double number(String key, double fallback, double min, double max) {
            String value = p.getProperty(key);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                double v = Double.parseDouble(value.trim());
                if (v < min || v > max) {
                    problems.add(key + " must lie in " + fmt(min) + ".." + fmt(max) + ", got " + value.trim());
                    return fallback;
                }
                return v;
            } catch (NumberFormatException e) {
                problems.add(key + " must be a number, got '" + value.trim() + "'");
                return fallback;
            }
        }

        private static String fmt(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }
}
