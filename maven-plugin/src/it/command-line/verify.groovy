// One invocation: capture:start verify capture:stop capture:verify. Then capture:stop alone,
// then capture:start alone.
def log = new File(basedir, 'build.log').text

assert log =~ /--- capture(-maven-plugin)?:[^:]+:start \(default-cli\) @ command-line ---/ : "Maven 3.9 names the plugin by its prefix, 3.6 by its artifactId"
assert log.contains("pcapunit: capturing 'udp port 29426' on lo (snaplen 262144, buffer 4.0 MiB, ") : '-Dcapture.bufferSize reaches the capture'
assert log =~ /pcapunit: captured 0 packets, [^,]+, capture loss 0, kernel drops seen [^ ]+ -> target\/pcapunit\/command-line\.pcapng/
assert log.contains('pcapunit: 1 rule passed: complete')
assert new File(basedir, 'target/pcapunit/command-line.pcapng').isFile()
assert new File(basedir, 'target/pcapunit/command-line-report.txt').isFile()

// The second invocation stops without a start.
assert log.contains('on project command-line: no capture is running for it.pcapunit:command-line:' +
        ' run capture:start first (e.g. bind it to pre-integration-test) -> [Help 1]')
// The third invocation started a capture and ended without stop: core's shutdown hook wrote it.
def abandoned = new File(basedir, 'target/pcapunit/abandoned.pcapng')
assert abandoned.isFile() : 'the JVM ended without capture:stop and still left the file'
def proc = ['capinfos', '-t', '-c', abandoned.path].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "capinfos refused ${abandoned}: ${err}"
assert out.toString() =~ /pcapng/

// The fifth invocation: a value core refuses, named as the user wrote it, before any side effect.
assert log.contains('on project command-line: <bufferSize>1KB</bufferSize> (capture.bufferSize) is refused:' +
        ' the kernel buffer must be 64KB to 1GB: use e.g. <bufferSize>32MB</bufferSize> (-Dcapture.bufferSize=32MB) -> [Help 1]')
assert !log.readLines().any { it.startsWith('[ERROR] Failed to execute goal') && it.contains('bufferSize(32') } :
        'the fix is written in Maven terms, not as a builder call (core\'s message is only in the -e trace)'
assert !new File(basedir, 'target/refused').exists() : 'nothing was created for the refused start'

// The fourth invocation: generated help with the parameters' Javadoc and user properties.
assert log.contains('capture:verify')
assert log =~ /noDropsTo\s+No packet to this port/
assert log.contains('User property: capture.complete')
assert log.contains('User property: capture.skip')
// The goal's XML example is shown as it goes into a pom: one element per line, indented by
// nesting under the goal's description (2 spaces), not squashed into one line or flush left.
assert log.contains('\n  <configuration>\n    <noDropsTo><port>1433</port></noDropsTo>\n    <complete>true</complete>\n' +
        '    <onlyTalksTo><hosts><host>127.0.0.0/8</host></hosts></onlyTalksTo>\n  </configuration>\n') :
        'capture:help shows the XML example indented'
assert log =~ /allEstablished\s+Every TCP connection to this port completed its handshake/
return true
