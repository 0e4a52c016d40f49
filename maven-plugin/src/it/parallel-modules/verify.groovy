// With -T 2 both modules capture concurrently in one Maven JVM: separate captures, separate
// files, each holding only its own module's conversation.
def log = new File(basedir, 'build.log').text
assert log.contains('Using the MultiThreadedBuilder implementation with a thread count of 2')

[alpha: 29431, beta: 29432].each { module, port ->
    def other = port == 29431 ? 29432 : 29431
    assert log.contains("pcapunit: capturing 'tcp port ${port}' on lo ")
    assert log =~ /pcapunit: captured \d+ packets, [^>]+ -> target\/pcapunit\/${module}\.pcapng/
    def file = new File(basedir, "${module}/target/pcapunit/${module}.pcapng")
    assert file.isFile()
    def count = { String filter ->
        def p = ['tshark', '-r', file.path, '-Y', filter].execute()
        def out = new StringBuilder(), err = new StringBuilder()
        p.waitForProcessOutput(out, err)
        assert p.exitValue() == 0 : "tshark refused ${file}: ${err}"
        out.toString().readLines().findAll { it.trim() }.size()
    }
    assert count("tcp.port == ${port}") >= 6 : "${module} holds its own conversation"
    assert count("tcp.port == ${other}") == 0 : "${module} holds nothing of the other module"
}
return true
