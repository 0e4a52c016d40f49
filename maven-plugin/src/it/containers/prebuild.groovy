// Docker for this IT, nothing pulled: the running engine, or dockerd started here (its pid kept in
// dockerd.pid for verify.groovy to stop it); a FROM-scratch busybox image; the echo container.
def run(List cmd) {
    def p = cmd.execute()
    def out = new StringBuilder(), err = new StringBuilder()
    p.waitForProcessOutput(out, err)
    return [p.exitValue(), out.toString().trim(), err.toString().trim()]
}
def answers = { run(['docker', 'version', '--format', '{{.Server.Version}}'])[0] == 0 }
if (!answers()) {
    if (!new File('/usr/sbin/dockerd').canExecute()) {
        throw new IllegalStateException('dockerd is not installed: scripts/install-deps.sh installs docker.io')
    }
    def log = new File(basedir, 'dockerd.log')
    def pb = new ProcessBuilder('dockerd', '--bip', '10.200.250.1/24', '--iptables=false', '--ip-masq=false',
            '--pidfile', '/run/pcapunit-it-dockerd.pid').redirectErrorStream(true).redirectOutput(log)
    def daemon = pb.start()
    new File(basedir, 'dockerd.pid').text = daemon.pid().toString()
    new File(basedir, 'docker0.existed').text = new File('/sys/class/net/docker0').exists().toString()
    def deadline = System.currentTimeMillis() + 60_000
    while (!answers()) {
        assert daemon.isAlive() && System.currentTimeMillis() < deadline : "dockerd did not start: ${log.text}"
        Thread.sleep(200)
    }
}
if (run(['docker', 'image', 'inspect', 'pcapunit-busybox:local'])[0] != 0) {
    def dir = new File(basedir, 'image')
    dir.mkdirs()
    java.nio.file.Files.copy(new File('/usr/bin/busybox').toPath(), new File(dir, 'busybox').toPath())
    new File(dir, 'Dockerfile').text = 'FROM scratch\nCOPY busybox /bin/busybox\n' +
            'RUN ["/bin/busybox", "--install", "-s", "/bin"]\nCMD ["/bin/sh"]\n'
    def b = run(['docker', 'build', '-q', '-t', 'pcapunit-busybox:local', dir.path])
    assert b[0] == 0 : "image build failed: ${b[2]}"
}
run(['docker', 'rm', '-f', 'pcapunit-it-containers-db'])
def r = run(['docker', 'run', '-d', '--name', 'pcapunit-it-containers-db', 'pcapunit-busybox:local',
             'nc', '-ll', '-p', '5432', '-e', '/bin/cat'])
assert r[0] == 0 : "docker run failed: ${r[2]}"
def ip = run(['docker', 'inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'pcapunit-it-containers-db'])
new File(basedir, 'db.address').text = ip[1]
return true
