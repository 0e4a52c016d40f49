/**
 * The Docker Engine API client capture points need: a container's main process (for its network
 * namespace) and the list of running containers for error messages, over the engine's unix
 * socket. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.capture.internal.docker;
