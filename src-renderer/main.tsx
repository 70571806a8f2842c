// Entry: mounts the UI on the API for this window (Electron preload or browser-mode HTTP).
import {StrictMode} from "react";
import {createRoot} from "react-dom/client";
import {api} from "./api.js";
import {App} from "./App.js";
import "./styles.css";

const root = document.getElementById("root");
if (root == null) throw new Error("index.html has no #root");
createRoot(root).render(<StrictMode><App api={api()} /></StrictMode>);
