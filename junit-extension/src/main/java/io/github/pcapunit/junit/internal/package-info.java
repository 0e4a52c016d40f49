/**
 * Implementation details of pcapunit's junit-extension module. <strong>Not API</strong>: anything here may
 * change or disappear in any release without notice. Do not use it from outside pcapunit.
 */
package io.github.pcapunit.junit.internal;
