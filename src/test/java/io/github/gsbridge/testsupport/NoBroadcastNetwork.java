package io.github.gsbridge.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a {@link NamespacePair} behave like a network whose router drops broadcasts but passes
 * multicast (a guest Wi-Fi, many access points): in each namespace nftables drops every
 * link-layer broadcast to UDP 1716, counting them, while mDNS (224.0.0.251 and ff02::fb, port
 * 5353) passes; each namespace gets the multicast route mDNS needs.
 */
public final class NoBroadcastNetwork {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern COUNTER = Pattern.compile("udp dport 1716 counter packets (\\d+)");

    private NoBroadcastNetwork() {}

    public static void apply(NamespacePair pair) {
        RealComponents.requireOnPath("nft");
        for (String ns : List.of(pair.nsA(), pair.nsB())) {
            String veth = ns.equals(pair.nsA()) ? pair.vethA() : pair.vethB();
            pair.exec(ns, TIMEOUT, "ip", "route", "add", "224.0.0.0/4", "dev", veth).assertOk("multicast route in " + ns);
            pair.exec(ns, TIMEOUT, "nft", "add table inet gsbridge_test; "
                    + "add chain inet gsbridge_test input { type filter hook input priority 0; policy accept; }; "
                    + "add rule inet gsbridge_test input meta pkttype broadcast udp dport 1716 counter drop")
                    .assertOk("nftables rule in " + ns);
        }
    }

    /** How many broadcasts to UDP 1716 were dropped on their way into {@code ns}. */
    public static long dropped(NamespacePair pair, String ns) {
        ManagedProcess.Result rules = pair.exec(ns, TIMEOUT, "nft", "list", "table", "inet", "gsbridge_test")
                .assertOk("nft list in " + ns);
        Matcher m = COUNTER.matcher(rules.stdout());
        if (!m.find()) {
            throw new AssertionError("no broadcast counter in " + ns + ":\n" + rules.stdout());
        }
        return Long.parseLong(m.group(1));
    }
}
