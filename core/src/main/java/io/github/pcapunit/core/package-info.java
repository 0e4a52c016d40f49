/**
 * <b>Layer 0, the exceptions every layer throws</b>: {@link io.github.pcapunit.core.CaptureException}
 * and the subclasses a caller can act on. The layers above, each a package, every arrow pointing
 * down (enforced by {@code LayeringTest}):
 *
 * <pre>
 *   cli (front-end)                  io.github.pcapunit.core.cli
 *     checks                         io.github.pcapunit.core.check
 *       analysis                     io.github.pcapunit.core.analysis
 *         capture engine (+ spi)     io.github.pcapunit.core.capture, .capture.spi
 *           packets                  io.github.pcapunit.core.packet
 *             file format            io.github.pcapunit.core.pcapng
 *               exceptions           io.github.pcapunit.core
 * </pre>
 *
 * Each layer's {@code internal} package serves that layer only and is not API.
 */
package io.github.pcapunit.core;
