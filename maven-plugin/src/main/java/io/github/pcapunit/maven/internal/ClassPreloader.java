package io.github.pcapunit.maven.internal;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads every class of the capture stack (pcapunit-core, pcap4j, JNA) into this plugin's class
 * realm up front.
 *
 * <p>Why: when a build ends with a capture still running (no {@code capture:stop}, or the build
 * aborted before it), core's shutdown hook stops it and writes the pcapng. By then Maven has
 * closed the plugin's class realm, and any class the hook needs that was not loaded yet fails
 * with {@code NoClassDefFoundError} (seen: {@code org.pcap4j.core.PcapStat}), so no file is
 * written. Loading (not initialising) the classes while the realm is open avoids that. Done once
 * per realm; takes a few hundred milliseconds.
 */
public final class ClassPreloader {

    private static final AtomicBoolean DONE = new AtomicBoolean();

    private ClassPreloader() {
    }

    /**
     * Loads all classes of the jars (or class directories) that hold the named anchor classes.
     *
     * @return the number of classes loaded, 0 when already done
     */
    public static int preload(ClassLoader loader, String... anchorClasses) {
        if (!DONE.compareAndSet(false, true)) {
            return 0;
        }
        int loaded = 0;
        for (String anchor : anchorClasses) {
            try {
                CodeSource source = Class.forName(anchor, false, loader).getProtectionDomain()
                        .getCodeSource();
                if (source != null && source.getLocation() != null) {
                    loaded += preloadFrom(Path.of(source.getLocation().toURI()), loader);
                }
            } catch (ClassNotFoundException | URISyntaxException | IOException
                    | SecurityException e) {
                // Best effort: the capture works without it, only the no-stop case is at risk.
            }
        }
        return loaded;
    }

    private static int preloadFrom(Path location, ClassLoader loader) throws IOException {
        int loaded = 0;
        if (Files.isDirectory(location)) {
            try (var files = Files.walk(location)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String rel = location.relativize(p).toString().replace('\\', '/');
                    loaded += load(rel, loader);
                }
            }
            return loaded;
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                loaded += load(entries.nextElement().getName(), loader);
            }
        }
        return loaded;
    }

    private static int load(String entry, ClassLoader loader) {
        if (!entry.endsWith(".class") || entry.startsWith("META-INF/")
                || entry.endsWith("module-info.class") || entry.endsWith("package-info.class")) {
            return 0;
        }
        String name = entry.substring(0, entry.length() - 6).replace('/', '.');
        try {
            Class.forName(name, false, loader);
            return 1;
        } catch (ClassNotFoundException | LinkageError e) {
            // Classes for optional dependencies or other platforms: not needed here.
            return 0;
        }
    }
}
