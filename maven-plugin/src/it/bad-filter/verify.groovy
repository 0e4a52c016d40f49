// A filter libpcap refuses: the build fails in capture:start, before anything is started.
def log = new File(basedir, 'build.log').text
def expected = '<filter>tcp port bogus</filter> (capture.filter): "tcp port bogus" is not a valid capture filter:' +
        ' unknown port \'bogus\'. Use tcpdump filter syntax, e.g. "tcp port 1433". -> [Help 1]'

assert log =~ java.util.regex.Pattern.quote('[ERROR] Failed to execute goal io.github.pcapunit:capture-maven-plugin:') +
        '[^:]+' + java.util.regex.Pattern.quote(':start (capture) on project bad-filter: ' + expected) : 'the exact message, naming parameter, value, reason and fix'
def logged = log.readLines().findAll { it.contains('not a valid capture filter') && it =~ /^\[(INFO|WARNING|ERROR)\]/ }
assert logged.size() == 1 && logged[0].startsWith('[ERROR] Failed to execute goal') : "reported once, by Maven (never logged and thrown): ${logged}"
assert log.contains('Caused by: io.github.pcapunit.core.InvalidFilterException') : 'the cause is kept'
assert !log.contains('pcapunit: capturing') : 'nothing was started'
assert !new File(basedir, 'target/pcapunit').exists() : 'no side effect before validation: no output directory'
return true
