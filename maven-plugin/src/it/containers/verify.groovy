// capture:start with <containers> around a Failsafe IT talking to the container; then removes the
// container and stops the dockerd that prebuild.groovy started (also when an assertion fails).
def run(List cmd) {
    def p = cmd.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    return [p.exitValue(), out.toString().trim(), err.toString().trim()]
}
try {
    def log = new File(basedir, 'build.log').text
    def pcapng = new File(basedir, 'target/pcapunit/containers.pcapng')
    assert log.contains("[INFO] pcapunit: capturing 'tcp port 5432' on ") : 'start logs one line of what and where'
    assert log.contains('Tests run: 1, Failures: 0, Errors: 0')
    assert log.contains('allEstablished(port 5432)')
    assert pcapng.isFile()
    // tshark: every packet was captured inside the container, on the interface it names
    def t = run(['tshark', '-r', pcapng.path, '-Y', 'tcp.port == 5432', '-T', 'fields',
                 '-e', 'frame.interface_name', '-e', 'frame.interface_description'])
    assert t[0] == 0 : "tshark refused ${pcapng}: ${t[2]}"
    def rows = t[1].readLines().findAll { it.trim() }
    assert rows.size() >= 6 : "a connect, a line each way and a close are at least 6 packets: ${rows}"
    rows.each {
        assert it.startsWith('pcapunit-it-containers-db/eth0\teth0 in Docker container pcapunit-it-containers-db (id ') : it
    }
} finally {
    run(['docker', 'rm', '-f', 'pcapunit-it-containers-db'])
    def pidFile = new File(basedir, 'dockerd.pid')
    if (pidFile.isFile()) {
        def daemon = ProcessHandle.of(pidFile.text.trim() as long)
        daemon.ifPresent { it.destroy() }
        daemon.ifPresent { it.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS) }
        if (new File(basedir, 'docker0.existed').text.trim() == 'false') {
            run(['ip', 'link', 'del', 'docker0'])
        }
    }
}
return true
