// Jupiter 5.13 without the BOM, pcapunit declared before junit-jupiter: its JUnit must not win.
evaluate(new File(basedir, "../common/verify-user-build.groovy"))
