package results

// ReadPathColumnsBy exposes readPathColumnsBy to the package's external tests.
var ReadPathColumnsBy = readPathColumnsBy
