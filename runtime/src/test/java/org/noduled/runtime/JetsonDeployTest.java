package org.noduled.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.noduled.detect.ExecutionProvider;

/**
 * deploy/jetson/ as shipped: the example configuration parses, and every folder it writes lies under the unit's
 * ReadWritePaths (with ProtectSystem=strict anything else would be read-only). No Jetson here: what runs on it
 * is documented in its README, not tested.
 */
class JetsonDeployTest {

    private static final Path DEPLOY = Path.of("..", "deploy", "jetson");

    @Test
    void exampleConfiguration_parsesWithTensorRtStrictAndACache() throws IOException {
        ServeConfig config = ServeConfig.read(DEPLOY.resolve("noduled.conf"));

        assertEquals(ExecutionProvider.TENSORRT, config.engine().provider());
        assertTrue(config.engine().strict());
        assertEquals(Path.of("/var/cache/noduled/trt"), config.engine().tensorRt().engineCacheDir());
        assertEquals(1, config.destinations().size());
        assertEquals("pacs (PACS@10.0.0.5:104)", config.destinations().get(0).toString());
    }

    @Test
    void everyFolderTheExampleWrites_isInTheUnitsReadWritePaths() throws IOException {
        ServeConfig config = ServeConfig.read(DEPLOY.resolve("noduled.conf"));
        List<Path> writable = Files.readAllLines(DEPLOY.resolve("noduled.service")).stream()
                .filter(l -> l.startsWith("ReadWritePaths="))
                .flatMap(l -> Arrays.stream(l.substring("ReadWritePaths=".length()).trim().split("\\s+")))
                .map(Path::of).toList();

        for (Path folder : List.of(config.dropFolder(), config.failedFolder(), config.outputFolder(),
                config.outboxFolder(), config.engine().tensorRt().engineCacheDir())) {
            assertTrue(writable.stream().anyMatch(folder::startsWith), folder + " not under " + writable);
        }
    }
}
