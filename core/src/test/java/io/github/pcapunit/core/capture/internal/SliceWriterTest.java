package io.github.pcapunit.core.capture.internal;

import static io.github.pcapunit.core.capture.internal.InsideNamespace.jvmDescriptorLinks;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.pcapunit.core.EngineTools;
import io.github.pcapunit.core.capture.internal.netns.PinnedNamespace;
import io.github.pcapunit.testing.NetLab;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A shared capture's writer lets go of what its writes need ({@code whenDone}) after the last
 * write, also when that write outlasts close()'s bounded wait: before, a write still running then
 * left the namespace a setns'd thread started the capture in to the garbage collector.
 */
class SliceWriterTest {

    @Test
    void writeOutlastingTheWait_whenDoneRunsOnceItEnds_notBefore() throws Exception {
        AtomicInteger done = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch writing = new CountDownLatch(1);
        SliceWriter writer = new SliceWriter(done::incrementAndGet);
        writer.execute(() -> {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        writer.shutdown();
        assertThat(writer.awaitTermination(200, TimeUnit.MILLISECONDS)).as("the write is still running").isFalse();
        assertThat(done).as("not while a write runs").hasValue(0);
        release.countDown();
        assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done).as("once, after the last write, without the closing thread's help").hasValue(1);
    }

    @Test
    void idle_whenDoneHasRunWhenAwaitTerminationSaysSo() throws Exception {
        AtomicInteger done = new AtomicInteger();
        SliceWriter writer = new SliceWriter(done::incrementAndGet);
        CountDownLatch wrote = new CountDownLatch(1);
        writer.execute(wrote::countDown);
        assertThat(wrote.await(5, TimeUnit.SECONDS)).isTrue();
        writer.shutdown();
        assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        assertThat(done).hasValue(1);
        writer.shutdown();
        assertThat(done).as("shutting down again runs nothing").hasValue(1);
    }

    @Test
    void writeOutlastingTheWait_pinnedNamespaceOfASetnsThread_closedWhenItEnds() throws Exception {
        NetLab.assumeAvailable();
        EngineTools.assumeCapture();
        try (InsideNamespace ns = InsideNamespace.create(lab -> lab.host("swfd", "10.200.153.10"))) {
            String link = ns.nsfsLink();
            PinnedNamespace pinned = ns.call(PinnedNamespace::ofCallingThread);
            assertThat(pinned.id()).isEqualTo(link);
            CountDownLatch release = new CountDownLatch(1);
            SliceWriter writer = new SliceWriter(pinned::close);
            writer.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // a last lookup in the namespace, as a conversion's would be
                pinned.call(() -> InterfaceIndexes.nameOf(1));
            });
            writer.shutdown();
            assertThat(writer.awaitTermination(100, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(jvmDescriptorLinks()).as("held while the write runs").contains(link);
            release.countDown();
            assertThat(writer.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            assertThat(pinned.isClosed()).isTrue();
            assertThat(jvmDescriptorLinks()).as("after the write, without a GC").doesNotContain(link);
        }
    }
}
