// The IT passes, but the connection it made was refused: <noDropsTo><port>29427</port></noDropsTo>
// fails the build in capture:verify with the AssertJ assertion's message; <complete> passes.
def log = new File(basedir, 'build.log').text
def pcapng = new File(basedir, 'target/pcapunit/verify-fails-on-rule.pcapng').canonicalFile
def report = new File(basedir, 'target/pcapunit/verify-fails-on-rule-report.txt')

assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'the IT itself passed'
// The failure message, as Maven prints it: the first line after "on project ...: ", every
// further line prefixed with [ERROR], ended by "[ERROR] -> [Help 1]".
def head = '[ERROR] Failed to execute goal io.github.pcapunit:capture-maven-plugin:'
int at = log.indexOf(head)
assert at >= 0 : 'capture:verify failed the build'
def failed = log.substring(at).readLines()
assert failed[0] =~ /^\[ERROR\] Failed to execute goal io\.github\.pcapunit:capture-maven-plugin:[^:]+:verify \(capture\) on project verify-fails-on-rule: /
def onProject = 'on project verify-fails-on-rule: '
def lines = [failed[0].substring(failed[0].indexOf(onProject) + onProject.length())]
for (String l : failed.drop(1)) {
    if (l == '[ERROR] -> [Help 1]') break
    assert l.startsWith('[ERROR] ')
    lines << l.substring(8)
}
def message = lines.join('\n')
// The verdict leads, then its evidence, then what was expected of which file.
assert lines[0] =~ /^TCP 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29427 was refused by the server/ : message
int expecting = lines.indexOf("Expecting the traffic captured in ${pcapng.path}".toString())
assert expecting > 0 : message
assert lines[expecting + 1] == 'to have no dropped packets to port 29427' : message
assert lines[expecting + 2] =~ /^but found \d+ drops? \(see above\)$/ : message
def refused = lines.find { it =~ /^  (\[WIRE REFUSED\] )?SYN 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29427 at \+0\.\d{3} s refused: RST from 127\.0\.0\.1:29427 at \+0\.\d{3} s$/ }
assert refused : "the refused connection is listed: ${message}"

assert report.isFile()
def text = report.text
assert text.contains('passed complete: a complete capture\n')
assert text.contains('FAILED noDropsTo(port 29427): no dropped packets to port 29427\n')
assert text.contains(lines.collect { '      ' + it }.join('\n')) : 'the report holds the same message'
assert text =~ /\n\s+\d+ \+0\.000000 lo\s+\S+ TCP 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29427 \[SYN\]/ : "the packet listing:\n${text}"
assert log.contains('pcapunit: report target/pcapunit/verify-fails-on-rule-report.txt')

// tshark agrees: a SYN to 29427 answered by RST.
def proc = ['tshark', '-r', pcapng.path, '-Y', 'tcp.srcport == 29427 && tcp.flags.reset == 1'].execute()
def out = new StringBuilder()
proc.waitForProcessOutput(out, new StringBuilder())
assert proc.exitValue() == 0
assert out.toString().readLines().findAll { it.trim() }.size() == 1 : "one RST from the closed port: ${out}"
return true
