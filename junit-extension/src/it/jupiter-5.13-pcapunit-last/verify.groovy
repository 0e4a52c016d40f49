// Jupiter 5.13 without the BOM, pcapunit declared after junit-jupiter.
evaluate(new File(basedir, "../common/verify-user-build.groovy"))
