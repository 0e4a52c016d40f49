// The IT passes, but the connection it made was refused: <noDropsTo><port>39427</port></noDropsTo>
// fails the build in capture:verify with the AssertJ assertion's message; <complete> passes.
def log = new File(basedir, 'build.log').text
def pcapng = new File(basedir, 'target/pcapunit/verify-fails-on-rule.pcapng').canonicalFile
def report = new File(basedir, 'target/pcapunit/verify-fails-on-rule-report.txt')

assert log.contains('Tests run: 1, Failures: 0, Errors: 0, Skipped: 0') : 'the IT itself passed'
// Maven prefixes every line of a multi-line failure message with [ERROR].
def expected = "on project verify-fails-on-rule: Expecting the traffic captured in ${pcapng.path}\n" +
        "[ERROR] to have no dropped packets to port 39427\n" +
        "[ERROR] but found 1 drop:\n"
assert log =~ /\[ERROR\] Failed to execute goal io\.github\.pcapunit:capture-maven-plugin:[^:]+:verify \(capture\) / +
        java.util.regex.Pattern.quote(expected) : "the assertion's message; build.log has:\n" +
        log.readLines().findAll { it.startsWith('[ERROR]') }.join('\n')
def drop = log.substring(log.indexOf(expected) + expected.length()).readLines()[0]
assert drop.startsWith('[ERROR]   [WIRE REFUSED] SYN 127.0.0.1:') : drop
assert drop =~ /127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:39427/ : "the drop line names the flow: ${drop}"
assert drop.endsWith(' refused: RST from 127.0.0.1:39427 at +0.000 s') || drop =~ / refused: RST from 127\.0\.0\.1:39427 at \+0\.\d{3} s$/ : drop
def next = log.substring(log.indexOf(expected) + expected.length()).readLines()[1]
assert next == '[ERROR] -> [Help 1]' : "one drop line, nothing else: ${next}"

assert report.isFile()
def text = report.text
assert text.contains('passed complete')
assert text.contains('FAILED noDropsTo(port 39427)')
assert text.contains('to have no dropped packets to port 39427')
assert text =~ /\n\s+\d+ \+0\.000000 lo\s+\S+ TCP 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:39427 \[SYN\]/ : "the packet listing:\n${text}"
assert log.contains('pcapunit: report target/pcapunit/verify-fails-on-rule-report.txt')

// tshark agrees: a SYN to 39427 answered by RST.
def proc = ['tshark', '-r', pcapng.path, '-Y', 'tcp.srcport == 39427 && tcp.flags.reset == 1'].execute()
def out = new StringBuilder()
proc.waitForProcessOutput(out, new StringBuilder())
assert proc.exitValue() == 0
assert out.toString().readLines().findAll { it.trim() }.size() == 1 : "one RST from the closed port: ${out}"
return true
