/**
 * <b>SPI for pcapunit's own front-ends</b> (the JUnit extension and the Maven plugin): one capture
 * shared by many tests, cut into per-test slices. Supported for those front-ends; a user test
 * wants {@code @CaptureTraffic} or {@link io.github.pcapunit.core.capture.Capture} instead.
 */
package io.github.pcapunit.core.capture.spi;
