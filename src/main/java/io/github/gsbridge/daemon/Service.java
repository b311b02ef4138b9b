package io.github.gsbridge.daemon;

import io.github.gsbridge.handover.Handover;
import io.github.gsbridge.handover.PortUser;
import io.github.gsbridge.tls.CredentialsException;

import java.io.IOException;
import java.util.Optional;

/**
 * gsbridge as the {@code daemon} command runs it: the daemon, the port hand-over with GSConnect,
 * and the dconf sync. The ports are taken when free, so starting never fails for a busy port.
 */
public final class Service implements AutoCloseable {
    private final Daemon daemon;
    private final Handover handover;
    private final Optional<GsconnectSync> sync;

    private Service(Daemon daemon, Handover handover, Optional<GsconnectSync> sync) {
        this.daemon = daemon;
        this.handover = handover;
        this.sync = sync;
    }

    public static Service start(DaemonOptions options) throws CredentialsException {
        Daemon daemon = Daemon.create(options);
        Handover handover = new Handover(new DaemonPorts(daemon), options.force());
        handover.start();
        return new Service(daemon, handover, GsconnectSync.start(daemon));
    }

    public Daemon daemon() {
        return daemon;
    }

    public Handover handover() {
        return handover;
    }

    @Override
    public void close() {
        sync.ifPresent(GsconnectSync::close);
        handover.close();
        daemon.close();
    }

    /** The daemon as the hand-over sees it. */
    private record DaemonPorts(Daemon daemon) implements PortUser {
        @Override
        public int udpPort() {
            return daemon.options().lan().udpPort();
        }

        @Override
        public int tcpPort() {
            return daemon.options().lan().tcpPorts().first();
        }

        @Override
        public void take() throws IOException, CredentialsException {
            daemon.activate();
        }

        @Override
        public void giveBack(String reason) {
            daemon.deactivate(reason);
        }

        @Override
        public void waiting(String reason) {
            daemon.waiting(reason);
        }

        @Override
        public String reason() {
            return daemon.state().reason();
        }
    }
}
