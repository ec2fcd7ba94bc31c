package org.noduled.runtime;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.net.Destination;
import org.noduled.dicom.net.StoreScp;
import org.noduled.dicom.net.Verification;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code noduled echo}: C-ECHO to the PACS destinations (and this node's own receiver), one line each. */
@Command(name = "echo",
        mixinStandardHelpOptions = true,
        description = {
            "Sends a DICOM C-ECHO to each AE@HOST:PORT given and, with --config, to every destination.<name> of",
            "that configuration and to the node's own receiver (receive.port on this machine, answered only while",
            "noduled serve runs). Prints one line per peer: answered in N ms, or why not and what to check.",
            "Exits 0 when every peer answered, 2 otherwise."})
final class EchoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "AE@HOST:PORT", arity = "0..*", converter = DestinationOption.class,
            description = "Peers to echo, e.g. PACS@10.0.0.5:104.")
    private List<Destination> peers = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE", description = "noduled serve configuration: echo its peers.")
    private Path configFile;

    @Option(names = "--calling-ae", paramLabel = "TITLE", defaultValue = Destination.DEFAULT_CALLING_AE_TITLE,
            description = "Our AE title for peers given on the command line (default: ${DEFAULT-VALUE}).")
    private String callingAeTitle;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Map<String, Destination> targets = new LinkedHashMap<>();
        for (Destination peer : peers) {
            targets.put(address(peer), new Destination(peer.name(), peer.calledAeTitle(), peer.host(), peer.port(),
                    callingAeTitle, peer.connectTimeout(), peer.readTimeout()));
        }
        if (configFile != null) {
            ServeConfig config;
            try {
                config = ServeConfig.read(configFile);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            for (Destination d : config.destinations()) {
                targets.put("destination " + d, d);
            }
            StoreScp.Settings receive = config.receive();
            if (receive != null) {
                String host = receive.bindAddress().isAnyLocalAddress()
                        ? InetAddress.getLoopbackAddress().getHostAddress() : receive.bindAddress().getHostAddress();
                // as ourselves when the receiver lets us in, else as the first caller it allows
                Set<String> allowed = receive.allowedCallingAeTitles();
                String caller = allowed.isEmpty() || allowed.contains(callingAeTitle) ? callingAeTitle
                        : new TreeSet<>(allowed).first();
                Destination self = new Destination("receiver", receive.aeTitle(), host, receive.port(), caller,
                        Destination.DEFAULT_CONNECT_TIMEOUT, Destination.DEFAULT_READ_TIMEOUT);
                targets.put("this node's receiver (" + address(self) + ")", self);
            }
        }
        if (targets.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give AE@HOST:PORT peers or --config FILE");
        }
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (Map.Entry<String, Destination> target : targets.entrySet()) {
            try {
                long millis = Verification.echo(target.getValue()).toMillis();
                out.printf("%s: answered C-ECHO in %d ms%n", target.getKey(), millis);
            } catch (DicomException e) {
                failed++;
                out.printf("%s: FAILED: %s%n", target.getKey(), e.getMessage());
            }
            out.flush();
        }
        return failed == 0 ? 0 : Main.EXIT_FAILURE;
    }

    /** AE@HOST:PORT, as the peer is given on the command line. */
    private static String address(Destination peer) {
        return peer.calledAeTitle() + "@" + peer.host() + ":" + peer.port();
    }
}
