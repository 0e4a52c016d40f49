// The IT fails, Failsafe's integration-test goal records it, capture:stop (post-integration-test)
// still writes the pcapng, and only failsafe:verify fails the build: CI has a file to archive.
def log = new File(basedir, 'build.log').text
def pcapng = new File(basedir, 'target/pcapunit/stop-after-failed-its.pcapng')

assert log.contains('Tests run: 1, Failures: 1') : 'the IT failed'
int stop = log.indexOf('pcapunit: captured ')
int failsafeVerify = log.indexOf(':verify (default) @ stop-after-failed-its')
assert stop > 0 : 'capture:stop ran'
assert failsafeVerify > stop : 'capture:stop ran before failsafe:verify failed the build'
assert log.contains('BUILD FAILURE')
assert log =~ /\[ERROR\] Failed to execute goal org\.apache\.maven\.plugins:maven-failsafe-plugin:[^:]+:verify/

assert pcapng.isFile()
def proc = ['tshark', '-r', pcapng.path, '-Y', 'tcp.port == 29424 && tcp.len > 0', '-T', 'fields', '-e', 'tcp.len'].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "tshark refused ${pcapng}: ${err}"
assert out.toString().readLines().findAll { it.trim() }.size() == 2 : "the request and the wrong answer are in the file: ${out}"
return true
