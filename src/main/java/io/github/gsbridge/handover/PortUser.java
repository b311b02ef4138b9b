package io.github.gsbridge.handover;

import io.github.gsbridge.tls.CredentialsException;

import java.io.IOException;

/**
 * What the hand-over gives the KDE Connect ports to and takes them back from: the daemon. An
 * interface of the hand-over's own, so that it needs nothing of the daemon that wires it.
 */
public interface PortUser {
    /** The UDP discovery port it binds: another program holding it means waiting. */
    int udpPort();

    /** The TCP port it listens on first: another program holding it means waiting. */
    int tcpPort();

    /** Binds the ports and starts serving; does nothing when it already holds them. */
    void take() throws IOException, CredentialsException;

    /** Closes the ports if it holds them, and records why it does not serve. */
    void giveBack(String reason);

    /** Records why it cannot take the ports yet, changing nothing else. */
    void waiting(String reason);

    /** The reason last recorded: the hand-over logs a reason only when it changes. */
    String reason();
}
