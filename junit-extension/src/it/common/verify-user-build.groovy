// Shared by the user-like IT projects (each one's verify.groovy evaluates this file; not named
// verify.groovy, which would make it the setup project's own hook) where capture
// works: the JUnit the user declared is what ran, the healthy test passes and its file is deleted,
// the failing ones keep their files and name each in one console line (also in Surefire's XML
// report), parameterized and repeated tests keep one file per invocation, tshark reads every kept
// file, and no second copy exists anywhere under target/ (no publishFile copy under
// target/junit-jupiter).
def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')
def out = new File(target, 'pcapunit/it.CaptureTrafficTest')
def report = new File(target, 'surefire-reports/it.CaptureTrafficTest.txt').text
def xml = new File(target, 'surefire-reports/TEST-it.CaptureTrafficTest.xml').text

assert !log.contains('OutputDirectoryCreator') && !log.contains('There was an error in the forked process') : 'Surefire fork crashed'
assert log.contains('Tests run: 9, Failures: 2, Errors: 0, Skipped: 0') : 'nine tests, the refused and the other failing one fail'
assert !report.contains('junitOnTheClassPath_isTheUsersOneRelease') : "the JUnit the user declared ran: ${report}"

def kept = out.exists() ? out.list().sort() : []
def expectedKept = ['failsForAnotherReason_keptFileIsNamedInTheOutput.pcapng',
                    'parameterized_keptPerInvocation[1].pcapng', 'parameterized_keptPerInvocation[2].pcapng',
                    'refusedConnection_failsWithPcapunitsMessage.pcapng',
                    'repeated_keptPerRepetition[1].pcapng', 'repeated_keptPerRepetition[2].pcapng']
assert kept == expectedKept : "kept: ${kept}"

def failed = new File(out, 'refusedConnection_failsWithPcapunitsMessage.pcapng').canonicalFile
assert report.contains("Expecting the traffic captured in ${failed.path}") : report
assert report.contains('to have no dropped packets to port 29442') : report
assert report =~ /SYN 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29442 at \+0\.\d{3} s refused: RST from 127\.0\.0\.1:29442/ : report

// One console line per kept file, naming it; Surefire's XML report has it in the test's system-out.
def other = new File(out, 'failsForAnotherReason_keptFileIsNamedInTheOutput.pcapng').canonicalFile
assert log.contains("pcapunit: kept ${other.path} (test failed)") : 'console names the kept file of a test failing for its own reason'
assert xml.contains("pcapunit: kept ${other.path} (test failed)") : 'the XML report names it too'
assert log.contains("pcapunit: kept ${failed.path} (test failed)")
['parameterized_keptPerInvocation[1].pcapng', 'repeated_keptPerRepetition[2].pcapng'].each { name ->
    assert log.contains("pcapunit: kept ${new File(out, name).canonicalFile.path} (keep = ALWAYS)") : name
}
assert log.readLines().count { it.startsWith('pcapunit: kept ') } == expectedKept.size() : 'one line per kept file'

// One copy: no capture file anywhere under target/ but target/pcapunit.
def elsewhere = []
target.eachFileRecurse(groovy.io.FileType.FILES) { f ->
    if (f.name.endsWith('.pcapng') && !f.canonicalPath.startsWith(new File(target, 'pcapunit').canonicalPath)) {
        elsewhere << f
    }
}
assert elsewhere.isEmpty() : "copies of capture files: ${elsewhere}"

kept.each { name ->
    def file = new File(out, name)
    def proc = ['tshark', '-n', '-r', file.path, '-Y', 'tcp'].execute()
    def text = new StringBuilder(), err = new StringBuilder()
    proc.waitForProcessOutput(text, err)
    assert proc.exitValue() == 0 : "tshark refused ${file}: ${err}"
    assert text.toString().readLines().findAll { it.trim() }.size() >= 2 : "TCP packets in ${name}: ${text}"
}
return true
