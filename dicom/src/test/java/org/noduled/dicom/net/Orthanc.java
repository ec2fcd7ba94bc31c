package org.noduled.dicom.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Orthanc (Debian package) with its own database in a test folder: DICOM and HTTP on free ports, HTTP
 * restricted to loopback without authentication. Orthanc 1.10 has no setting to bind its DICOM port to
 * loopback only; it listens on all interfaces while the test runs.
 */
public final class Orthanc extends LoopbackReceiver {

    public static final String AE_TITLE = "ORTHANC";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private final Path dir;
    final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Orthanc's "DicomModalities" entries (name -> [AE, host, port]) as JSON members; set before start. */
    String modalities = "";

    public Orthanc(Path dir) {
        super(freePort(), dir.resolve("orthanc.log"));
        this.dir = dir;
        this.httpPort = freePort();
    }

    public Destination destination() {
        return Destination.of("orthanc", AE_TITLE, "127.0.0.1", dicomPort);
    }

    @Override
    public ProcessBuilder command() {
        Path config = dir.resolve("orthanc.json");
        Path db = dir.resolve("db");
        try {
            Files.createDirectories(db);
            Files.writeString(config, """
                    {
                      "Name": "noduled-test",
                      "StorageDirectory": "%s",
                      "IndexDirectory": "%s",
                      "DicomAet": "%s",
                      "DicomPort": %d,
                      "HttpPort": %d,
                      "RemoteAccessAllowed": false,
                      "AuthenticationEnabled": false,
                      "DicomCheckCalledAet": false,
                      "Plugins": [],
                      "SaveJobs": false,
                      "StorageCompression": false,
                      "DicomModalities": { %s }
                    }
                    """.formatted(db, db, AE_TITLE, dicomPort, httpPort, modalities));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcessBuilder("Orthanc", config.toString());
    }

    /**
     * Starts Orthanc and waits until both its DICOM and its HTTP port listen and its REST API answers (its HTTP
     * port accepts connections a moment before it answers them: seen once as an empty reply to an upload).
     */
    @Override
    public void start() {
        super.start();
        awaitPort(httpPort);
        for (int i = 0; i < 200; i++) {
            try {
                if (http.send(request("/system"), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        throw new IllegalStateException("Orthanc's REST API did not answer within 10 s; see " + dir.resolve("orthanc.log"));
    }

    /** Orthanc takes 4 to 5 s to stop on SIGTERM; its SQLite index survives SIGKILL, which takes milliseconds. */
    @Override
    public boolean killOnStop() {
        return true;
    }

    /** Orthanc's identifiers of the instances it holds ({@code GET /instances}). */
    public List<String> instanceIds() {
        return quoted(get("/instances").body());
    }

    /** SOP Instance UIDs Orthanc holds, one per distinct instance. */
    public List<String> sopInstanceUids() {
        List<String> uids = new ArrayList<>();
        for (String id : instanceIds()) {
            String tags = get("/instances/" + id + "/simplified-tags").body();
            Matcher m = Pattern.compile("\"SOPInstanceUID\"\\s*:\\s*\"([^\"]*)\"").matcher(tags);
            if (m.find()) {
                uids.add(m.group(1));
            }
        }
        return uids.stream().sorted().toList();
    }

    /** Uploads a DICOM file over HTTP ({@code POST /instances}) and returns Orthanc's instance identifier. */
    public String upload(byte[] dicomFile) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                + "/instances")).timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(dicomFile))
                .build());
        Matcher m = Pattern.compile("\"ID\"\\s*:\\s*\"([^\"]*)\"").matcher(response.body());
        if (response.statusCode() != 200 || !m.find()) {
            throw new IllegalStateException("upload answered " + response.statusCode() + ": " + response.body());
        }
        return m.group(1);
    }

    /** Asks Orthanc to C-STORE instances to one of its modalities, synchronously; returns the HTTP status. */
    public HttpResponse<String> storeTo(String modality, List<String> instanceIds) {
        String body = "{\"Resources\": [" + String.join(",", instanceIds.stream().map(id -> "\"" + id + "\"")
                .toList()) + "], \"Synchronous\": true}";
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/modalities/" + modality
                + "/store")).timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** Asks Orthanc to C-ECHO one of its modalities; returns the HTTP status (200: answered). */
    public int echo(String modality) {
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/modalities/" + modality
                + "/echo")).timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString("{}")).build())
                .statusCode();
    }

    /**
     * Sends a request, again on a fresh connection when Orthanc closed a kept-alive one under it (seen as "header
     * parser received no bytes"); every request sent here may be repeated without harm.
     */
    private HttpResponse<String> send(HttpRequest request) {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new UncheckedIOException(last);
    }

    /** The stored file of an instance ({@code GET /instances/{id}/file}). */
    public byte[] file(String instanceId) {
        try {
            HttpResponse<byte[]> response = http.send(request("/instances/" + instanceId + "/file"),
                    HttpResponse.BodyHandlers.ofByteArray());
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> get(String path) {
        try {
            HttpResponse<String> response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(5)).build();
    }

    private static List<String> quoted(String json) {
        List<String> values = new ArrayList<>();
        Matcher m = QUOTED.matcher(json);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }
}
