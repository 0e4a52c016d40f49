package io.github.pcapunit.core.capture.internal.netns;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The three libc calls joining a namespace needs; JNA keeps {@code errno} per call. */
interface Libc extends Library {

    Libc INSTANCE = Native.load("c", Libc.class);

    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;

    int open(String path, int flags);

    int setns(int fd, int nstype);

    int close(int fd);

    String strerror(int errnum);
}
