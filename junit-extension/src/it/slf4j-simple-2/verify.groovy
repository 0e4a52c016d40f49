// The user's slf4j-simple 2.x provider: pcap4j and the user's code log through it, no SLF4J warning.
withBinding = true
// common-logging is no project: invoker does not clone it next to this one; read it in src/it.
evaluate(new File(basedir, "../../../src/it/common-logging/verify-logging.groovy"))
