/**
 * <b>Front-end: command line.</b> {@code java -cp pcapunit-core.jar io.github.pcapunit.core.cli.Pcapunit format FILE}
 * lists a capture pktmon-style; {@link io.github.pcapunit.core.cli.TextFormat} is its renderer.
 */
package io.github.pcapunit.core.cli;
