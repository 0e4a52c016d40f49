/**
 * Flow analysis: TCP connection state, ICMP/UDP exchanges, drop evidence and the seam through which
 * kernel and firewall evidence join. <strong>Not API.</strong>
 */
package io.github.pcapunit.core.analysis.internal;
