// start/stop around a Failsafe IT that talks to a loopback echo server on port 29421.
def log = new File(basedir, 'build.log').text
def pcapng = new File(basedir, 'target/pcapunit/start-stop.pcapng')

assert log.contains("[INFO] pcapunit: capturing 'tcp port 29421' on lo ") : 'start logs one line of what and where'
assert log.contains('into target/pcapunit/start-stop.pcapng')
assert log.contains("on lo (snaplen 262144, buffer 8.0 MiB, ") : '<bufferSize>8MB</bufferSize> reaches the capture'
def summary = (log =~ /\[INFO\] pcapunit: captured (\d+) packets, [^,]+, capture loss (\d+), kernel drops seen ([^ ,]+) -> target\/pcapunit\/start-stop\.pcapng/)
assert summary.find() : 'stop logs the one-line summary'
def logged = summary.group(1) as int
assert logged >= 6 : "a TCP connect, two writes and a close are at least 6 packets, summary said ${logged}"
assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
assert pcapng.isFile()
assert log.contains('pcapunit: 3 rules passed: onlyTalksTo[127.0.0.0/8], allEstablished(port 29421),' +
        ' noneReset(port 29421); report target/pcapunit/start-stop-report.txt')
assert !log.contains('NIF(s) found') : 'pcap4j INFO chatter is kept out of the build log'

// tshark is the outside referee: the file is valid pcapng and holds the IT's conversation.
def proc = ['tshark', '-r', pcapng.path, '-Y', 'tcp.port == 29421', '-T', 'fields', '-e', 'frame.number'].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "tshark refused ${pcapng}: ${err}"
def frames = out.toString().readLines().findAll { it.trim() }
assert frames.size() == logged : "tshark sees ${frames.size()} packets, the summary said ${logged}"
def syn = ['tshark', '-r', pcapng.path, '-Y', 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && tcp.dstport == 29421'].execute()
def synOut = new StringBuilder()
syn.waitForProcessOutput(synOut, new StringBuilder())
assert synOut.toString().readLines().findAll { it.trim() }.size() >= 1 : 'the SYN to the server is captured'
def fmt = ['capinfos', '-t', pcapng.path].execute().text
assert fmt.contains('pcapng') : "capinfos says: ${fmt}"
return true
