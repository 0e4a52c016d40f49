/**
 * Capture points in other network namespaces: resolving a point (named namespace, nsfs path,
 * Docker container) to an nsfs file, checking {@code CAP_SYS_ADMIN}, and platform threads that
 * join a namespace with {@code setns(2)} (through JNA) before they run. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.capture.internal.netns;
