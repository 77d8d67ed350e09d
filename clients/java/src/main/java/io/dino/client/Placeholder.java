package io.dino.client; class Placeholder {}
