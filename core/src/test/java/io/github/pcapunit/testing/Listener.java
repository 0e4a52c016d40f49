package io.github.pcapunit.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real server process running inside a lab namespace (started by {@link Host#tcpEchoServer} or
 * {@link Host#udpEchoServer}); listening by the time it is returned.
 *
 * <pre>{@code
 * try (Listener server = db.tcpEchoServer(1433)) {
 *     // connect to server.address():server.port()
 * }
 * }</pre>
 */
public final class Listener implements AutoCloseable {

    private final Process process;
    private final String description;
    private final String address;
    private final int port;

    private Listener(Process process, String description, String address, int port) {
        this.process = process;
        this.description = description;
        this.address = address;
        this.port = port;
    }

    static Listener start(List<String> command, String description, String address, int port) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + description + ": " + e.getMessage(), e);
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String line = ready.get(15, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                process.waitFor(2, TimeUnit.SECONDS);
                String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                process.destroyForcibly();
                throw new IllegalStateException("cannot start " + description + ": " + err.strip());
            }
        } catch (TimeoutException | ExecutionException | IOException e) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot start " + description + ": it did not report ready in 15 s", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + description, e);
        }
        return new Listener(process, description, address, port);
    }

    /** The address the server is bound to, e.g. "10.200.1.20". */
    public String address() {
        return address;
    }

    /** The port the server listens on, e.g. 1433. */
    public int port() {
        return port;
    }

    /** The server's pid (of the {@code ip netns exec} wrapper, which becomes the server). */
    public long pid() {
        return process.pid();
    }

    /** Returns true while the server process runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the server: closes its stdin (it exits), then kills it if it has not gone in 2 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return description + (process.isAlive() ? " (running)" : " (stopped)");
    }
}
