package org.noduled.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a program (a DICOM peer such as dcmtk's storescu) is on the PATH, before a command relies on it. */
final class ExecutablePath {

    private ExecutablePath() {
    }

    static boolean has(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
