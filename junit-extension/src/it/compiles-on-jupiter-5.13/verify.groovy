// Every main source compiled against junit-jupiter-api 5.13.4, without a warning (-Werror).
def sources = new File(basedir, '../../../src/main/java').canonicalFile
def classes = new File(basedir, 'target/classes')
def missing = []
sources.eachFileRecurse(groovy.io.FileType.FILES) { f ->
    if (f.name.endsWith('.java') && f.name != 'package-info.java') {
        def cls = new File(classes, sources.toPath().relativize(f.toPath()).toString().replace('.java', '.class'))
        if (!cls.isFile()) {
            missing << cls
        }
    }
}
assert new File(classes, 'io/github/pcapunit/junit/CaptureTrafficExtension.class').isFile()
assert missing.isEmpty() : "not compiled against 5.13: ${missing}"
return true
