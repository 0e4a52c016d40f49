// Without libpcap: the SKIP test (it has a filter) is skipped and the console says why, once;
// the tests left at onUnavailable = FAIL fail with the unavailability and how to skip instead
// (not with an error from checking their filter); nothing is kept.
def log = new File(basedir, 'build.log').text
def target = new File(basedir, 'target')
def xml = new File(target, 'surefire-reports/TEST-it.CaptureTrafficTest.xml').text
// -Dorg.pcap4j.core.pcapLibName is set (pom): the reason names that file, not the install hint.
def reason = 'libpcap not found: -Dorg.pcap4j.core.pcapLibName=/nonexistent/libpcap.so could not be loaded: '

assert log.contains('Tests run: 9, Failures: 0, Errors: 7, Skipped: 1') : 'SKIP skips, the seven FAIL tests fail'
def skipLines = log.readLines().findAll { it.startsWith('pcapunit: skipping tests that capture (onUnavailable = SKIP): ') }
assert skipLines.size() == 1 && skipLines[0].contains(reason) : "the console says why, once: ${skipLines}"
assert xml =~ /(?s)<testcase name="skipWhereNoCapture_runsWhereCaptureIs"[^>]*>\s*<skipped message="libpcap not found/ : 'skipped with the reason'
assert xml.contains('@CaptureTraffic(onUnavailable = FAIL) on it.CaptureTrafficTest.healthyConnection_passes(): no capture can be made here: ' + reason)
assert xml.contains('To skip such tests instead, use onUnavailable = SKIP or pcapunit.on.unavailable=SKIP.')
assert !xml.contains('is not a valid capture filter')
// JDK 24+ without --enable-native-access would also name the flag; this project passes it there.
assert !log.contains('also runs without --enable-native-access')
assert !new File(target, 'pcapunit/it.CaptureTrafficTest').exists() || new File(target, 'pcapunit/it.CaptureTrafficTest').list().length == 0 : 'nothing kept'
return true
