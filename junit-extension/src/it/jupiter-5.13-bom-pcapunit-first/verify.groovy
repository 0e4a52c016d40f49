// Jupiter 5.13 through the junit-bom, pcapunit declared before junit-jupiter.
evaluate(new File(basedir, "../common/verify-user-build.groovy"))
