// electron-builder afterPack hook: signs the macOS app ad hoc ("-" identity). Without a Developer ID the
// app is otherwise unsigned after packing, and Apple Silicon refuses to open it as "damaged".
// CommonJS because electron-builder loads hooks with require().
const {execFileSync} = require("node:child_process");
const path = require("node:path");

exports.default = async function afterPackAdhocSign(context) {
    if (context.electronPlatformName !== "darwin")
        return;
    const appPath = path.join(context.appOutDir, `${context.packager.appInfo.productFilename}.app`);
    execFileSync("codesign", ["--force", "--deep", "--sign", "-", appPath], {stdio: "inherit"});
};
