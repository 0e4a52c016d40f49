// @CaptureTraffic on JUnit Jupiter 5.13.4: the healthy test passes and its file is deleted, the
// refused one fails with pcapunit's message naming its kept file, parameterized and repeated tests
// keep one file per invocation; tshark reads every kept file.
def log = new File(basedir, 'build.log').text
def out = new File(basedir, 'target/pcapunit/it.OnJupiter513Test')
def report = new File(basedir, 'target/surefire-reports/it.OnJupiter513Test.txt').text

assert log.contains('Tests run: 7, Failures: 1, Errors: 0, Skipped: 0') : 'seven tests, the refused one fails'
assert !report.contains('runsOnJupiter513') : "Jupiter 5.13 is what ran: ${report}"

def kept = out.exists() ? out.list().sort() : []
assert kept == ['parameterized_keptPerInvocation[1].pcapng', 'parameterized_keptPerInvocation[2].pcapng',
                'refusedConnection_failsWithPcapunitsMessage.pcapng',
                'repeated_keptPerRepetition[1].pcapng', 'repeated_keptPerRepetition[2].pcapng'] : "kept: ${kept}"

def failed = new File(out, 'refusedConnection_failsWithPcapunitsMessage.pcapng').canonicalFile
assert report.contains("Expecting the traffic captured in ${failed.path}") : report
assert report.contains('to have no dropped packets to port 29442') : report
assert report =~ /SYN 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29442 at \+0\.\d{3} s refused: RST from 127\.0\.0\.1:29442/ : report

kept.each { name ->
    def file = new File(out, name)
    def proc = ['tshark', '-n', '-r', file.path, '-Y', 'tcp'].execute()
    def text = new StringBuilder(), err = new StringBuilder()
    proc.waitForProcessOutput(text, err)
    assert proc.exitValue() == 0 : "tshark refused ${file}: ${err}"
    assert text.toString().readLines().findAll { it.trim() }.size() >= 2 : "TCP packets in ${name}: ${text}"
}
return true
