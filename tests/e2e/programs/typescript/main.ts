// The YAML example's five resources through the generated TypeScript SDK (sdk/nodejs), run as an
// inline program by the Automation API: its language server is in this process, so the engine
// needs no Node language host. One operation per run, on the stack STACK (default `test`) of the
// project in the current directory; the result is one JSON line on stdout.
//
//   node main.js up | preview | refresh | destroy
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as versions from "pulumi-alicloud-versions";

async function program(): Promise<Record<string, pulumi.Output<string>>> {
    const config = new pulumi.Config();
    const bucket = config.get("bucket") ?? "ts-artifacts";
    const release = config.get("release") ?? "v1.0";
    const app = new versions.webplus.Application("app", {
        appName: "ts-shop",
        appDescription: config.get("appDescription") ?? "Web shop declared in TypeScript",
        categoryName: "Java",
    });
    const pkg = new versions.webplus.PkgVersion("package", {
        appId: app.appId,
        packageSource: pulumi.interpolate`oss://${bucket}/${app.appName}/${app.appName}-${release}.war`,
        pkgVersionLabel: release,
        pkgVersionDescription: `release ${release}`,
    });
    const template = new versions.servicecatalog.Template("template", {
        templateType: "RosTerraformTemplate",
        templateBody: JSON.stringify({
            ROSTemplateFormatVersion: "2015-09-01",
            Workspace: { "main.tf": 'variable "package_url" { type = string }\n' },
        }),
    });
    const product = new versions.servicecatalog.Product("product", {
        productName: "ts-shop",
        providerName: "platform-team",
        productType: "Ros",
        description: "The web shop",
    });
    const productVersion = new versions.servicecatalog.ProductVersion("productVersion", {
        productId: product.productId,
        productVersionName: release,
        templateType: "RosTerraformTemplate",
        templateUrl: template.templateUrl,
        description: pulumi.interpolate`ships WebPlus package ${pkg.pkgVersionId}`,
        guidance: config.get("guidance") ?? "Recommended",
    });
    return {
        appId: app.appId,
        pkgVersionId: pkg.pkgVersionId,
        templateUrl: template.templateUrl,
        productId: product.productId,
        productVersionId: productVersion.productVersionId,
    };
}

async function main(command: string): Promise<unknown> {
    // The project (its name, the stack and its config) is the Pulumi.yaml in the current folder.
    const workspace = await LocalWorkspace.create({ workDir: process.cwd(), program });
    const stack = await Stack.select(process.env.STACK ?? "test", workspace);
    // The steps the engine reports per resource of the program, such as ["same"] or
    // ["create-replacement", "replace", "delete-replaced"].
    const ops: Record<string, string[]> = {};
    const onEvent = (event: EngineEvent) => {
        const meta = event.resourcePreEvent?.metadata;
        if (meta && !meta.type.startsWith("pulumi:")) {
            (ops[meta.urn.split("::").pop()!] ??= []).push(meta.op);
        }
    };
    switch (command) {
        case "up": {
            const up = await stack.up({ onEvent });
            const outputs = Object.fromEntries(
                Object.entries(up.outputs).map(([k, v]) => [k, v.value]),
            );
            return { summary: up.summary.resourceChanges, ops, outputs };
        }
        case "preview": {
            const preview = await stack.preview({ onEvent });
            return { summary: preview.changeSummary, ops };
        }
        case "refresh":
            return { summary: (await stack.refresh({ onEvent })).summary.resourceChanges, ops };
        case "destroy":
            return { summary: (await stack.destroy({ onEvent })).summary.resourceChanges, ops };
        default:
            throw new Error(`unknown command ${command}: up, preview, refresh or destroy`);
    }
}

main(process.argv[2]).then(
    (result) => console.log(JSON.stringify(result)),
    (err) => {
        console.error(err instanceof Error ? err.stack ?? err.message : err);
        process.exit(1);
    },
);
