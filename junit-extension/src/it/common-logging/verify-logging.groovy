// Shared by the slf4j-* IT projects (their verify.groovy sets `withBinding` and evaluates this
// file). The test JVM's console output is what Surefire prints between "Running
// it.QuietLoggingTest" and its "Tests run:" line. Without a binding it is empty: no SLF4J notice
// (1.7's StaticLoggerBinder, 2.x's "No SLF4J providers"), nothing from pcapunit. With the user's
// binding it is that binding's lines only: pcap4j's own log line and the user's, no SLF4J warning.
def log = new File(basedir, 'build.log').text
def lines = log.readLines()
assert log.contains('Tests run: 2, Failures: 0, Errors: 0, Skipped: 0') : 'both tests pass'
int from = lines.findIndexOf { it.contains('Running it.QuietLoggingTest') }
int to = lines.findIndexOf(from + 1) { it.contains('Tests run: 2,') }
assert from >= 0 && to > from : 'Surefire ran the test class'
def printed = lines.subList(from + 1, to)
assert lines.findAll { it.contains('SLF4J') }.isEmpty() : "no SLF4J notice or warning anywhere: ${lines.findAll { it.contains('SLF4J') }}"
assert lines.findAll { it.startsWith('pcapunit') }.isEmpty() : 'nothing from pcapunit when nothing is wrong'
if (withBinding) {
    // slf4j-simple's default format on System.err: [thread] LEVEL logger - message
    def foreign = printed.findAll { !(it =~ /^\[[^\]]+\] (INFO|WARN|ERROR) \S+ - /) }
    assert foreign.isEmpty() : "only the binding's lines: ${foreign}"
    assert printed.any { it =~ /^\[[^\]]+\] INFO org\.pcap4j\.core\.PcapHandle - / } : "pcap4j logs through the user's binding: ${printed}"
    assert printed.any { it =~ /^\[main\] INFO it\.UsersCode - the user's own log line$/ } : "the user's code logs through it: ${printed}"
} else {
    assert printed.isEmpty() : "a passing test prints nothing: ${printed}"
}
def kept = new File(basedir, 'target/pcapunit/it.QuietLoggingTest')
assert !kept.exists() || kept.list().length == 0 : 'the passing test keeps no file'
return true
