// <noDropTo> (missing "s") is no rule: the build fails before anything is captured.
def log = new File(basedir, 'build.log').text
def expected = 'on project unknown-rule: capture-maven-plugin has no parameter or rule <noDropTo>:' +
        ' check the spelling; the rules of capture:verify are <complete>, <noDrops>, <noDropsTo>, <onlyTalksTo>,' +
        ' <noTrafficTo>, <allEstablished>, <noneReset>, <noneRetransmitted>, <echoRequestsAnswered> (mvn capture:help -Ddetail lists every parameter) -> [Help 1]'
assert log =~ /\[ERROR\] Failed to execute goal io\.github\.pcapunit:capture-maven-plugin:[^:]+:start \(capture\) / +
        java.util.regex.Pattern.quote(expected)
assert !log.contains('pcapunit: capturing') : 'nothing was started'
assert !new File(basedir, 'target/pcapunit').exists()
return true
