package io.github.pcapunit.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * tcpdump as an independent capturer for the analysis tests: started (optionally inside a network
 * namespace), ready once it prints "listening on", stopped with SIGINT so it writes a complete file.
 */
final class AnalysisTcpdump implements AutoCloseable {

    private final Process process;
    private final StringBuilder stderr = new StringBuilder();

    private AnalysisTcpdump(Process process) {
        this.process = process;
    }

    /** tcpdump in {@code namespace} (null: this one) on {@code iface}, writing {@code file}. */
    static AnalysisTcpdump start(String namespace, String iface, Path file, String linkType, String filter)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        if (namespace != null) {
            cmd.addAll(List.of("ip", "netns", "exec", namespace));
        }
        cmd.addAll(List.of("tcpdump", "-i", iface, "-n", "-U", "--immediate-mode", "-w", file.toString()));
        if (linkType != null) {
            cmd.addAll(List.of("-y", linkType));
        }
        if (filter != null) {
            cmd.add(filter);
        }
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        AnalysisTcpdump t = new AnalysisTcpdump(p);
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (t.stderr) {
                        t.stderr.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                listening.completeExceptionally(e);
            }
            listening.complete(false);
        }, "tcpdump-stderr");
        reader.setDaemon(true);
        reader.start();
        try {
            if (!listening.get(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("tcpdump did not start: " + t.stderr());
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IllegalStateException("tcpdump did not start: " + t.stderr(), e);
        }
        return t;
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** SIGINT, then waits for tcpdump to finish writing. */
    void stop() throws IOException, InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        Thread.sleep(200);
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("tcpdump did not stop on SIGINT: " + stderr());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            process.destroyForcibly();
        }
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("tcpdump", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0 && ProcessHandle.current().info().user().map("root"::equals).orElse(false);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Runs a command and returns its stdout; fails the test on a non-zero exit. */
    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
