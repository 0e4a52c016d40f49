// No SLF4J binding; slf4j-api 1.7 as pcap4j brings it: a passing test prints nothing from SLF4J or pcapunit.
withBinding = false
// common-logging is no project: invoker does not clone it next to this one; read it in src/it.
evaluate(new File(basedir, "../../../src/it/common-logging/verify-logging.groovy"))
