// <attach>true</attach> with <classifier>traffic</classifier>: install publishes the capture.
def log = new File(basedir, 'build.log').text
def pcapng = new File(basedir, 'target/pcapunit/attach.pcapng')
def installed = new File(localRepositoryPath, 'it/pcapunit/attach/1.0/attach-1.0-traffic.pcapng')

assert log.contains('pcapunit: attached target/pcapunit/attach.pcapng as attach-1.0-traffic.pcapng')
assert log =~ /Installing .*attach\.pcapng to .*attach-1\.0-traffic\.pcapng/
assert installed.isFile() : "installed artifact ${installed}"
assert installed.bytes == pcapng.bytes : 'the installed file is the capture'
def proc = ['capinfos', '-t', installed.path].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "capinfos refused ${installed}: ${err}"
assert out.toString() =~ /pcapng/
return true
