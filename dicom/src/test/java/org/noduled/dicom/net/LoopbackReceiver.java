package org.noduled.dicom.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A receiver process started by a test on a free loopback port: dcmtk storescp or Orthanc. */
public abstract class LoopbackReceiver implements AutoCloseable {

    public final int dicomPort;
    private final Path log;
    private Process process;

    public LoopbackReceiver(int dicomPort, Path log) {
        this.dicomPort = dicomPort;
        this.log = log;
    }

    /** A port nobody listens on right now (the OS picks it; the small race is fine for tests). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    abstract ProcessBuilder command();

    /** Starts the process and waits until its DICOM port accepts connections. */
    public void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            ProcessBuilder builder = command().redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().put("TCP_NODELAY", "1");
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + command().command(), e);
        }
        awaitPort(dicomPort);
    }

    /** Whether {@link #stop()} kills at once: for receivers whose orderly shutdown takes seconds. */
    public boolean killOnStop() {
        return false;
    }

    /** Stops the process (SIGTERM, or SIGKILL if {@link #killOnStop()}; SIGKILL after 5 s) and waits for it. */
    public final void stop() {
        if (process == null) {
            return;
        }
        if (killOnStop()) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    public final void awaitPort(int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException(command().command() + " exited with " + process.exitValue()
                        + "; see " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException e) {
                sleep(20);
            }
        }
        throw new IllegalStateException(command().command() + " did not listen on port " + port + " in 20 s; see "
                + log);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
