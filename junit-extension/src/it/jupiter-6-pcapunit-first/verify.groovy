// Jupiter 6 without the BOM, pcapunit declared before junit-jupiter.
evaluate(new File(basedir, "../common/verify-user-build.groovy"))
