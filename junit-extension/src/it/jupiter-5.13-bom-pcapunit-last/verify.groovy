// Jupiter 5.13 through the junit-bom, pcapunit declared after junit-jupiter.
evaluate(new File(basedir, "../common/verify-user-build.groovy"))
