/**
 * The network lab test fixture shared by every module's tests (core's test-jar): namespaces,
 * veth pairs, listeners and firewall rules in 10.200.0.0/16, plus the {@link
 * io.github.pcapunit.testing.Leftovers} checker. Start with {@link io.github.pcapunit.testing.NetLab}.
 */
package io.github.pcapunit.testing;
