package io.github.pcapunit.core.capture.internal.kernel;

import io.github.pcapunit.core.CaptureException;
import io.github.pcapunit.core.capture.internal.PidNamespaces;
import io.github.pcapunit.core.pcapng.JournalKey;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opt-in "explain" mode: names the exact nftables rule that dropped a packet. Adds a temporary
 * table {@code inet pcapunit_<pid>_explain<n>} (with {@code _pidns<inode>} outside the initial PID
 * namespace: see {@link PidNamespaces}) whose chains (prerouting and output, priority -500,
 * before any filter) set {@code meta nftrace set 1} on matching packets, and runs
 * {@code nft -a monitor trace} in the same network namespace. The table is always removed: at
 * {@link #stop()}, when start fails, and from a shutdown hook.
 *
 * <pre>{@code
 * try (NftExplain explain = NftExplain.start(null, "tcp dport 1433")) {
 *     ... traffic ...
 *     List<NftExplain.Verdict> drops = explain.stop();
 * }
 * }</pre>
 */
public final class NftExplain implements AutoCloseable {

    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Pattern TRACE = Pattern.compile("^trace id (\\S+) (\\S+) (\\S+) (\\S+) (.*)$");
    // handles of at most 18 digits (a long): a longer number is no handle, not an exception that
    // would end the monitor's reader thread
    private static final Pattern HANDLE = Pattern.compile("# handle (\\d{1,18})\\b");
    private static final Pattern UNKNOWN_RULE = Pattern.compile("^unknown rule handle (\\d{1,18}) \\(verdict drop\\)$");
    private static final Pattern COMMENT = Pattern.compile("comment \"([^\"]*)\"");
    private static final Pattern WORD_PAIR = Pattern.compile("(ip6? saddr|ip6? daddr|tcp sport|tcp dport|udp sport|udp dport|ip protocol|tcp flags ==) (\\S+)");

    /**
     * A packet the firewall dropped, as nft's trace reports it.
     *
     * @param time    when the verdict was read
     * @param family  table family, e.g. inet
     * @param table   table name
     * @param chain   chain name
     * @param handle  rule handle, -1 for a chain policy
     * @param comment rule comment, "" when none
     * @param rule    the rule text as nft prints it
     * @param packet  the traced packet's fields: saddr, daddr, sport, dport, protocol, flags
     */
    public record Verdict(Instant time, String family, String table, String chain, long handle, String comment,
            String rule, Map<String, String> packet) {

        /** The journal key of each traced packet field. */
        private static final Map<String, JournalKey> PACKET_KEYS = Map.of("saddr", JournalKey.PCAPUNIT_SADDR,
                "daddr", JournalKey.PCAPUNIT_DADDR, "sport", JournalKey.PCAPUNIT_SPORT, "dport",
                JournalKey.PCAPUNIT_DPORT, "protocol", JournalKey.PCAPUNIT_PROTOCOL, "flags", JournalKey.PCAPUNIT_FLAGS);

        /** The journal fields of this verdict (PCAPUNIT_EVENT=nftrace). */
        public Map<String, String> journalFields() {
            Map<String, String> f = new LinkedHashMap<>();
            f.put(JournalKey.MESSAGE.fieldName(), line());
            f.put(JournalKey.PCAPUNIT_EVENT.fieldName(), KernelJournal.NFTRACE);
            f.put(JournalKey.PCAPUNIT_REASON.fieldName(), "NETFILTER_DROP");
            f.put(JournalKey.PCAPUNIT_COMPONENT.fieldName(), "netfilter (nftables)");
            f.put(JournalKey.PCAPUNIT_NFT_TABLE.fieldName(), family + " " + table);
            f.put(JournalKey.PCAPUNIT_NFT_CHAIN.fieldName(), chain);
            f.put(JournalKey.PCAPUNIT_NFT_HANDLE.fieldName(), Long.toString(handle));
            f.put(JournalKey.PCAPUNIT_NFT_COMMENT.fieldName(), comment);
            packet.forEach((k, v) -> f.put(PACKET_KEYS.get(k).fieldName(), v));
            return f;
        }

        /** {@code Drop: verdict drop by rule table inet filter chain output handle 7 comment "block db", TCP 10.0.0.1:5000 → 10.0.0.2:1433 SYN}. */
        public String line() {
            String where = "table " + family + " " + table + " chain " + chain
                    + (handle >= 0 ? " handle " + handle : " policy") + (comment.isEmpty() ? "" : " comment \"" + comment + "\"");
            String proto = packet.getOrDefault("protocol", "ip").toUpperCase(java.util.Locale.ROOT);
            String src = packet.getOrDefault("saddr", "?") + (packet.containsKey("sport") ? ":" + packet.get("sport") : "");
            String dst = packet.getOrDefault("daddr", "?") + (packet.containsKey("dport") ? ":" + packet.get("dport") : "");
            String flags = packet.containsKey("flags") ? " " + packet.get("flags").toUpperCase(java.util.Locale.ROOT) : "";
            return "Drop: verdict drop by rule " + where + ", " + proto + " " + src + " \u2192 " + dst + flags;
        }
    }

    private final String namespace;
    private final String table;
    private final Process monitor;
    private final Thread reader;
    private final Thread shutdownHook;
    private final List<Verdict> verdicts = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Map<String, String>> packets = new HashMap<>();
    private final Map<String, String> rules = new HashMap<>();
    private boolean stopped;

    private NftExplain(String namespace, String table, Process monitor) {
        this.namespace = namespace;
        this.table = table;
        this.monitor = monitor;
        this.shutdownHook = new Thread(this::removeTable, "pcapunit-nftrace-cleanup");
        this.reader = new Thread(this::readLoop, "pcapunit-nftrace");
        this.reader.setDaemon(true);
    }

    /**
     * Starts tracing packets matching {@code match} (nft syntax, e.g. {@code "tcp dport 1433"};
     * empty: all packets) in {@code namespace} ({@code null}: the JVM's own; an {@code ip netns}
     * name, or an nsfs path such as {@code /proc/4242/ns/net}).
     *
     * @throws CaptureException when the table or monitor cannot be set up (nothing is left behind)
     */
    public static NftExplain start(String namespace, String match) {
        if (match != null && !match.isBlank() && !isOneMatchExpression(match)) {
            throw new IllegalArgumentException("explain match \"" + match
                    + "\" must be one nft match expression, e.g. \"tcp dport 1433\"");
        }
        removeStaleTables(namespace);
        String table = "pcapunit_" + ProcessHandle.current().pid() + "_explain" + SEQ.incrementAndGet()
                + PidNamespaces.suffix("_");
        String m = match == null || match.isBlank() ? "" : match.strip() + " ";
        String script = "add table inet " + table + "\n"
                + "add chain inet " + table + " pre { type filter hook prerouting priority -500; }\n"
                + "add chain inet " + table + " out { type filter hook output priority -500; }\n"
                + "add rule inet " + table + " pre " + m + "meta nftrace set 1\n"
                + "add rule inet " + table + " out " + m + "meta nftrace set 1\n";
        Process monitor;
        try {
            monitor = new ProcessBuilder(command(namespace, "nft", "-a", "monitor", "trace"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new CaptureException("firewall explain mode unavailable: cannot run 'nft monitor trace': "
                    + e.getMessage() + " (install nftables)", e);
        }
        NftExplain explain = new NftExplain(namespace, table, monitor);
        Runtime.getRuntime().addShutdownHook(explain.shutdownHook);
        explain.reader.start();
        try {
            run(command(namespace, "nft", "-f", "-"), script);
            // The monitor subscribes asynchronously; give it a moment so the first packets are traced.
            Thread.sleep(200);
            return explain;
        } catch (RuntimeException | InterruptedException e) {
            explain.stop();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new CaptureException("firewall explain mode unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code match} is one nft match expression that can go into a rule as is: not blank,
     * and no statement separator, newline or block that would smuggle in another command.
     */
    public static boolean isOneMatchExpression(String match) {
        return !match.isBlank() && match.chars().noneMatch(c -> c == ';' || c == '\n' || c == '{' || c == '}');
    }

    /**
     * Deletes explain tables of JVMs that are gone (SIGKILL: no shutdown hook ran); they would keep
     * tracing. Only tables whose JVM {@link PidNamespaces#isGone} can tell is gone: two PID
     * namespaces may share a network namespace (a container with {@code --network host},
     * {@code unshare -pf}), and a pid is checkable only where that namespace's processes are seen.
     */
    static void removeStaleTables(String namespace) {
        try {
            Process p = new ProcessBuilder(command(namespace, "nft", "list", "tables")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            Matcher m = Pattern.compile("table inet (pcapunit_(\\d{1,18})_explain\\d+(?:_pidns(\\d+))?)(?!\\S)").matcher(out);
            while (m.find()) {
                if (PidNamespaces.isGone(Long.parseLong(m.group(2)), m.group(3))) {
                    new ProcessBuilder(command(namespace, "nft", "delete", "table", "inet", m.group(1)))
                            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                            .waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (IOException e) {
            // nft missing: start() reports it.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The table name, e.g. pcapunit_4242_explain1 (family inet; pcapunit_4242_explain1_pidns4026532305 in a child PID namespace). */
    public String table() {
        return table;
    }

    /** The drop verdicts seen so far, in order (a copy). */
    public List<Verdict> verdicts() {
        synchronized (verdicts) {
            return List.copyOf(verdicts);
        }
    }

    /** The network namespace traced ({@code null}: the JVM's own). */
    public String namespace() {
        return namespace;
    }

    /** Stops the monitor, removes the table and returns the drop verdicts seen. Safe to call twice. */
    public synchronized List<Verdict> stop() {
        if (!stopped) {
            stopped = true;
            try {
                Thread.sleep(100); // last trace messages
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            removeTable();
            monitor.destroy();
            try {
                if (!monitor.waitFor(2, TimeUnit.SECONDS)) {
                    monitor.destroyForcibly();
                }
                reader.join(2_000);
            } catch (InterruptedException e) {
                monitor.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Shutting down: the hook removes the table.
            }
        }
        synchronized (verdicts) {
            return List.copyOf(verdicts);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void removeTable() {
        try {
            Process p = new ProcessBuilder(command(namespace, "nft", "delete", "table", "inet", table))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // Nothing to remove if nft cannot even start.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                accept(line);
            }
        } catch (IOException e) {
            // Monitor stopped.
        }
    }

    void accept(String line) {
        Matcher m = TRACE.matcher(line.strip());
        if (!m.matches()) {
            return;
        }
        String id = m.group(1);
        String rest = m.group(5);
        if (rest.startsWith("packet:")) {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher w = WORD_PAIR.matcher(rest);
            while (w.find()) {
                String key = w.group(1);
                String value = w.group(2);
                if (key.endsWith("saddr")) {
                    fields.put("saddr", value);
                } else if (key.endsWith("daddr")) {
                    fields.put("daddr", value);
                } else if (key.endsWith("sport")) {
                    fields.put("sport", value);
                    fields.put("protocol", key.substring(0, 3));
                } else if (key.endsWith("dport")) {
                    fields.put("dport", value);
                } else if (key.equals("ip protocol")) {
                    fields.putIfAbsent("protocol", value);
                } else if (key.startsWith("tcp flags")) {
                    fields.put("flags", value);
                }
            }
            synchronized (packets) {
                packets.put(id, fields);
            }
            return;
        }
        boolean ruleDrop = rest.startsWith("rule ") && rest.endsWith("(verdict drop)");
        boolean policyDrop = rest.startsWith("policy drop");
        Matcher unknown = UNKNOWN_RULE.matcher(rest);
        if (unknown.matches()) {
            // The monitor started before the rule's table existed (a test adds its firewall after
            // the capture started): nft knows only the handle, so read the rule from the ruleset.
            ruleDrop = true;
            rest = "rule " + ruleText(m.group(2), m.group(3), m.group(4), Long.parseLong(unknown.group(1)))
                    + " (verdict drop)";
        }
        if (!ruleDrop && !policyDrop) {
            return;
        }
        Matcher handle = HANDLE.matcher(rest);
        Matcher comment = COMMENT.matcher(rest);
        String rule = ruleDrop ? rest.substring(5, rest.length() - "(verdict drop)".length()).replaceAll("# handle \\d+", "").strip() : "policy drop";
        Map<String, String> packet;
        synchronized (packets) {
            packet = packets.getOrDefault(id, Map.of());
        }
        verdicts.add(new Verdict(Instant.now(), m.group(2), m.group(3), m.group(4),
                handle.find() ? Long.parseLong(handle.group(1)) : -1, comment.find() ? comment.group(1) : "", rule, packet));
    }

    /**
     * The text of rule {@code handle} as {@code nft -a list chain} prints it, ending in
     * {@code # handle N}; just {@code # handle N} when the rule is gone. Cached: a drop rule
     * usually drops many packets.
     */
    private String ruleText(String family, String table, String chain, long handle) {
        String key = family + " " + table + " " + chain + " " + handle;
        synchronized (rules) {
            String cached = rules.get(key);
            if (cached != null) {
                return cached;
            }
        }
        String found = "# handle " + handle;
        try {
            Process p = new ProcessBuilder(command(namespace, "nft", "-a", "list", "chain", family, table, chain))
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            for (String line : out.split("\n")) {
                if (line.strip().endsWith("# handle " + handle)) {
                    found = line.strip();
                    break;
                }
            }
        } catch (IOException e) {
            // keep the bare handle
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (rules) {
            rules.put(key, found);
        }
        return found;
    }

    private static List<String> command(String namespace, String... args) {
        List<String> c = new ArrayList<>();
        if (namespace != null && namespace.startsWith("/")) {
            // an nsfs path (a container's /proc/<pid>/ns/net): join only its network namespace
            c.addAll(List.of("nsenter", "--net=" + namespace));
        } else if (namespace != null) {
            c.addAll(List.of("ip", "netns", "exec", namespace));
        }
        c.addAll(List.of(args));
        return c;
    }

    private static void run(List<String> command, String stdin) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
