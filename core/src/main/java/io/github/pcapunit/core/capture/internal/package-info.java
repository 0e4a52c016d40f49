/**
 * Capture sessions: standalone and shared captures, slices, size cap, shutdown hook, sidecars and
 * conversion of the native captures to pcapng. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.capture.internal;
