// No SLF4J provider; the user's slf4j-api 2.x wins over pcap4j's 1.7: a passing test prints nothing from SLF4J or pcapunit.
withBinding = false
// common-logging is no project: invoker does not clone it next to this one; read it in src/it.
evaluate(new File(basedir, "../../../src/it/common-logging/verify-logging.groovy"))
