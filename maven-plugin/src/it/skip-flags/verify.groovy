// Every skip flag switches start, stop and verify off for its module; the module without a flag
// captures into its own file.
def log = new File(basedir, 'build.log').text

def reasons = ['capture-skip': 'capture.skip is set', 'skip-its': 'skipITs is set',
               'skip-tests': 'skipTests is set', 'maven-test-skip': 'maven.test.skip is set']
reasons.each { module, reason ->
    int from = log.indexOf("< it.pcapunit:${module} >")
    assert from >= 0 : "${module} was built"
    int to = log.indexOf('< it.pcapunit:', from + 1)
    def section = log.substring(from, to < 0 ? log.length() : to)
    ['start', 'stop', 'verify'].each { goal ->
        assert section =~ /:${goal} \(capture\) @ ${module} ---\s+\[INFO\] pcapunit: capture(:verify)? skipped \(${java.util.regex.Pattern.quote(reason)}\)/ :
                "${module}: ${goal} says it is skipped because ${reason}"
    }
    assert !new File(basedir, "${module}/target/pcapunit").exists() : "${module} wrote no capture"
}

assert log.contains('pcapunit: capturing \'tcp port 29423\' on lo') : 'the module without a flag captures'
assert log =~ /pcapunit: captured 0 packets, [^,]+, capture loss 0, kernel drops seen [^ ]+ -> target\/pcapunit\/runs\.pcapng/
def file = new File(basedir, 'runs/target/pcapunit/runs.pcapng')
assert file.isFile()
def proc = ['capinfos', '-t', '-c', file.path].execute()
def out = new StringBuilder(), err = new StringBuilder()
proc.waitForProcessOutput(out, err)
assert proc.exitValue() == 0 : "capinfos refused ${file}: ${err}"
assert out.toString() =~ /pcapng/
assert out.toString() =~ /Number of packets:\s+0/
return true
