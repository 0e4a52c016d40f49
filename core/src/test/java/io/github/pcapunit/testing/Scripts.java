package io.github.pcapunit.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tiny python3 programs run inside namespaces (Java cannot enter a network namespace). Each server
 * prints "ready" once it listens and exits when its stdin closes, so a killed JVM takes its
 * listeners with it. python3 is installed by .ci/run when missing. Not API.
 */
final class Scripts {

    private Scripts() {
    }

    static String python() {
        // Prefer the distribution's interpreter over shims (pyenv) that may not see root's PATH.
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static final String EXIT_ON_STDIN_EOF = """
            import os, sys, threading
            def _watch():
                sys.stdin.read()
                os._exit(0)
            threading.Thread(target=_watch, daemon=True).start()
            """;

    static final String TCP_ECHO = EXIT_ON_STDIN_EOF + """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((sys.argv[1], int(sys.argv[2])))
            s.listen(128)
            print("ready", flush=True)
            def serve(c):
                with c:
                    while True:
                        try:
                            d = c.recv(65536)
                        except OSError:
                            return
                        if not d:
                            return
                        c.sendall(d)
            while True:
                c, _ = s.accept()
                threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;

    static final String UDP_ECHO = EXIT_ON_STDIN_EOF + """
            import socket
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.bind((sys.argv[1], int(sys.argv[2])))
            print("ready", flush=True)
            while True:
                d, peer = s.recvfrom(65535)
                s.sendto(d, peer)
            """;

    /** Prints "OUTCOME localport detail". */
    static final String TCP_CLIENT = """
            import socket, sys, errno
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(float(sys.argv[3]))
            s.bind(("0.0.0.0", 0))
            port = s.getsockname()[1]
            try:
                s.connect((sys.argv[1], int(sys.argv[2])))
                s.sendall(b"pcapunit\\n")
                d = s.recv(100)
                print("CONNECTED", port, d.decode(errors="replace").strip())
            except socket.timeout:
                print("TIMED_OUT", port, "no answer within", sys.argv[3], "s")
            except ConnectionRefusedError as e:
                print("REFUSED", port, e)
            except OSError as e:
                if e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
                    print("UNREACHABLE", port, e)
                else:
                    print("ERROR", port, e)
            """;
}
