// In both modules the IT errors (connection refused) and <noDropsTo> is broken. Whichever plugin
// the pom declares first, capture:stop names the drop and capture:verify fails the build with
// pcapunit's message before failsafe:verify could fail it with "There are test failures".
def log = new File(basedir, 'build.log').text

['failsafe-first', 'capture-first'].each { module ->
    int from = log.indexOf("< it.pcapunit:${module} >")
    assert from >= 0 : "${module} was built"
    int to = log.indexOf('< it.pcapunit:', from + 1)
    def section = log.substring(from, to < 0 ? log.length() : to)

    assert section.contains('Tests run: 1, Failures: 0, Errors: 1') : "${module}: the IT errored"
    // The refused SYN is on the wire; the kernel may also record dropping it (no socket).
    def warn = (section =~ /\[WARNING\] pcapunit: (1 drop in the captured traffic: |\d drops in the captured traffic, first: )(\[WIRE REFUSED\] )?SYN 127\.0\.0\.1:\d+ \S{1,3} 127\.0\.0\.1:29431 at \+0\.\d{3} s refused: RST from 127\.0\.0\.1:29431 at \+0\.\d{3} s \(capture:verify's rules decide whether that fails the build\)/)
    assert warn.find() : "${module}: capture:stop names the refused connection in one line:\n${section}"
    int stop = section.indexOf('pcapunit: captured ')
    int verify = section.indexOf(":verify (capture) @ ${module}")
    assert stop > 0 && verify > stop : "${module}: capture:verify runs after capture:stop"
    assert !section.contains(":verify (default) @ ${module}") :
            "${module}: capture:verify failed the module before failsafe:verify ran"
    assert !section.contains('There are test failures') : "${module}: Failsafe's verdict did not come first"

    def pcapng = new File(basedir, "${module}/target/pcapunit/${module}.pcapng").canonicalFile
    def failure = "[ERROR] Failed to execute goal io.github.pcapunit:capture-maven-plugin:"
    def lines = log.readLines()
    int at = lines.findIndexOf { it.startsWith(failure) && it.contains(":verify (capture) on project ${module}: ") }
    assert at >= 0 : "${module}: the build failure is capture:verify's"
    // The message as Maven prints it: up to the stack trace (-e) or "-> [Help 1]"; its wording is core's.
    def message = lines.drop(at).takeWhile { !it.startsWith('org.apache.maven') && !it.contains('-> [Help 1]') }.join('\n')
    assert message.contains('to have no dropped packets to port 29431') : message
    assert message.contains(pcapng.path) : message
}
return true
